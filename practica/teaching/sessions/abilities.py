"""The request protocol's abilities, which teaching/rules.py grants (kept here so that the
sessions area reads them without importing the app's rules, which import its models)."""

# a local authority offers practitioners for a request, the university accepts an offer, the
# practitioner confirms it
OFFER, ACCEPT, CONFIRM = "offer_practitioners", "accept_offers", "confirm_offer"
