"""Fixed FHIR values fhirconv writes, each with where the spec asks for it, and the allowed codes checked by
validation (fhir.resources checks types and cardinality, not required value sets)."""

from __future__ import annotations

# Terminology system URIs (CONVENTIONS.md; FHIR R4 terminology pages)
CIM10 = "https://smt.esante.gouv.fr/terminologie-cim-10"  # ANS terminology server, CIM-10 FR
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"  # HL7 THO external code system page for ICD-O-3
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ATC = "http://www.whocc.no/atc"
UCUM = "http://unitsofmeasure.org"
EDQM = "http://standardterms.edqm.eu"
CCAM = "https://smt.esante.gouv.fr/terminologie-ccam"
V3_ROLECODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# Extensions
DERIVATION_REFERENCE = "http://hl7.org/fhir/StructureDefinition/derivation-reference"  # FHIR core extension
# mCODE links a secondary cancer to its primary with this extension (mCODE STU3, SecondaryCancerCondition).
RELATED_PRIMARY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-related-primary-cancer-condition"
REGIMEN_IDENTIFIER_SYSTEM = "urn:fhirconv:regimen"  # shared identifier naming a regimen course
REPORT_IDENTIFIER_SYSTEM = "urn:fhirconv:report"

# Required bindings of the elements fhirconv writes (FHIR R4 / R5 value sets).
ALLOWED = {
    "R4": {
        ("Bundle", "type"): {
            "document",
            "message",
            "transaction",
            "transaction-response",
            "batch",
            "batch-response",
            "history",
            "searchset",
            "collection",
        },
        ("Patient", "gender"): {"male", "female", "other", "unknown"},
        ("DocumentReference", "status"): {"current", "superseded", "entered-in-error"},
        ("Observation", "status"): {
            "registered",
            "preliminary",
            "final",
            "amended",
            "corrected",
            "cancelled",
            "entered-in-error",
            "unknown",
        },
        ("Procedure", "status"): {
            "preparation",
            "in-progress",
            "not-done",
            "on-hold",
            "stopped",
            "completed",
            "entered-in-error",
            "unknown",
        },
        ("MedicationStatement", "status"): {
            "active",
            "completed",
            "entered-in-error",
            "intended",
            "stopped",
            "on-hold",
            "unknown",
            "not-taken",
        },
        ("FamilyMemberHistory", "status"): {"partial", "completed", "entered-in-error", "health-unknown"},
        ("Condition", "clinicalStatus"): {"active", "recurrence", "relapse", "inactive", "remission", "resolved"},
        ("Condition", "verificationStatus"): {
            "unconfirmed",
            "provisional",
            "differential",
            "confirmed",
            "refuted",
            "entered-in-error",
        },
        ("Quantity", "comparator"): {"<", "<=", ">=", ">"},
        ("Timing", "periodUnit"): {"s", "min", "h", "d", "wk", "mo", "a"},
    },
}
ALLOWED["R5"] = {
    **ALLOWED["R4"],
    ("MedicationStatement", "status"): {"recorded", "entered-in-error", "draft"},
    ("Quantity", "comparator"): {"<", "<=", ">=", ">", "ad"},
}
