"""The demo partnership (modelled on the Kent and Medway case studies) and its loader."""

# why the demo loader's queries read every organisation's rows (core/scoping.py)
DEMO = "the demo loader finds its own records by natural key"
