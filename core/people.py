"""How the site names a staff member to others (presence, versions, review emails)."""


def staff_name(user):
    """Their full name, else their username."""
    return user.get_full_name() or user.get_username()
