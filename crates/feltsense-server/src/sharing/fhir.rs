//! FHIR R4 exports (to come).
