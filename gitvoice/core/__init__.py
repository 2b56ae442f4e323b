"""What every layer shares: the error types, atomic file writes, per-user paths and crash diagnostics."""
