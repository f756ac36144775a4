"""交接与总结: the handover log 交接本, weekly summaries and the agents' daily records; what is
missing or left unread becomes a fact for points and pay."""
