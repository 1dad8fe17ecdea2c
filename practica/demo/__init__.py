"""The demo partnership (modelled on the Kent and Medway case studies) and its loader."""
