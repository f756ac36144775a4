"""Pure review rules (no Django): severity grading, the TOP/CSV readers, the call windows."""
