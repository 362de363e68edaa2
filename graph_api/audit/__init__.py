"""The append-only audit trail: who read which data block, who changed what."""
