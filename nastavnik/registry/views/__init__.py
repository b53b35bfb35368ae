"""Pages of the registry: `people` (the list and card of a person, consents, guardians,
participation), `imports` (loading lists, the export), `accounts` (accounts and login slips),
`roles` (roles of a person, staff of a place), `subject` (152-ФЗ export and erasure) and `orgs`
(the organisation pages, routed by `urls_orgs.py` in the `orgs` namespace)."""
