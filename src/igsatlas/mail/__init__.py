"""Mail: signed links, messages in the atlas's own look, the outbox and its sender, and alerts."""
