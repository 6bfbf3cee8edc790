"""The OpenLER web application: one FastAPI app, server-rendered, bilingual pages."""
