"""Parts of the chat quality scanner (pure: no Django); the entry points are in
kefu.quality.scanner."""
