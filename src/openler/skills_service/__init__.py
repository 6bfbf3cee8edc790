"""Skills services that use the database: suggestions people confirm or reject (this
package is web-free; the frameworks import lives beside it)."""
