"""Performance: points, fines, recommendations and awards from a shop's policy.

The pure engines live in `kefu.performance.engine` (month rules) and `kefu.performance.awards`;
they import nothing from Django. Models and screens come later in this package."""
