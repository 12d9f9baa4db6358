"""A complaint as a partner app reports it through Open311 (unit and integration tiers)."""

REPORT = {
    "jurisdiction_id": "HR",
    "service_code": "complaint",
    "first_name": "Ravi",
    "last_name": "Kumar",
    "phone": "+91 98765 43210",  # typed as people write it
    "email": "ravi@example.in",
    "description": "My bicycle was stolen from the market parking.",
    "attribute[complainant_name]": "Ravi Kumar",
    "attribute[complainant_mobile]": "9876543210",
    "attribute[complainant_address]": "House 9, Sector 29, Gurugram",
    "attribute[category]": "theft",
    "attribute[incident_at]": "2026-11-30T18:00",
    "attribute[incident_place]": "Sector 29 market parking",
    "attribute[incident_pincode]": "122009",
}
