"""考勤: punches (web clock-in and punch-machine files) and each scheduled shift classified under
the shop's policy; the results become facts for points and pay."""
