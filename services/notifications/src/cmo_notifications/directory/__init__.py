"""The member companies and their contacts, as the notifications service knows them."""
