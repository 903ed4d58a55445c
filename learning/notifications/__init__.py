"""The outbox: messages to people, queued by any domain and delivered by `flask notify send`."""
