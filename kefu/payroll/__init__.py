"""Payroll: pay periods and payslips. The pure calculator is `kefu.payroll.calculator`; it
imports nothing from Django."""
