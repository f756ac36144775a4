"""Chat quality: the phrase rules of a policy's `quality:` section, the pure scanner
(`kefu.quality.scanner`) and, later, the supervisor's review queue."""
