"""fhirconv's built-in mapping tables (data only; installed as the package ``fhirconv.mappings``)."""
