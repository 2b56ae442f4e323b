"""Click only: the `git voice` group, its error handler and one module per verb."""
