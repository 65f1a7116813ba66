"""Open data: the typed models, the versioned API, linked data, the catalogue and the bulk downloads."""
