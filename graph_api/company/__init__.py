"""The company domain: public identity and the guarded data blocks."""
