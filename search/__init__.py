"""Everything Meilisearch: index settings, documents, the outbox sync worker, reindex and the SQL fallback."""
