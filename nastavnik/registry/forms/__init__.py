"""Forms of the registry: `people` (person, consent, guardian, participation), `imports` (loading
lists) and `roles` (granting a role)."""
