"""Reference and demo data (label schemes, categories, materials, the Cà Mau catalog) and its loader."""
