"""Synthetic people for the tests: names nobody has and synthetic nins
(month + 80, as in the national synthetic test population) with valid
mod-11 check digits.  Never a real person, never a real nin."""

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

KARI = ('Kari Testesen', '2010-05-05')
OLA = ('Ola Prøvesen', '1980-01-31')
ASE = ('Åse Øvreås', '2015-12-24')
PER = ('Per Fiktivsen', '2001-02-28')


def _check_digit(digits, weights):
    """The mod-11 check digit of digits, or None when it would be 10."""
    k = 11 - sum(w * int(d) for w, d in zip(weights, digits)) % 11
    if k == 11:
        return 0
    return None if k == 10 else k


def _century(yy, individual):
    """The birth year from two digits and the individual number (the rule
    for 1900-2039: 000-499 the 1900s; 500-999 with year 00-39 the 2000s;
    900-999 with year 40-99 the 1900s)."""
    if individual <= 499:
        return 1900 + yy
    if yy <= 39:
        return 2000 + yy
    if individual >= 900:
        return 1900 + yy
    return None


def with_check(base):
    """The 9 digits base with both check digits, or None when none fits."""
    k1 = _check_digit(base, W1)
    k2 = None if k1 is None else _check_digit(base + str(k1), W2)
    return None if k2 is None else f'{base}{k1}{k2}'


def nin_for(born, individual):
    """The synthetic nin of the ISO date born and the individual number, or
    None when no check digit fits (or the number belongs to another century)."""
    y, m, d = (int(x) for x in born.split('-'))
    if _century(y % 100, individual) != y:
        return None
    base = f'{d:02d}{m + 80:02d}{y % 100:02d}{individual:03d}'
    k1 = _check_digit(base, W1)
    if k1 is None:
        return None
    k2 = _check_digit(base + str(k1), W2)
    if k2 is None:
        return None
    return f'{base}{k1}{k2}'


def nin(born, n=0):
    """The n-th (0, 1, ...) valid synthetic nin of birth date born."""
    y = int(born[:4])
    start = 500 if y >= 2000 else 100
    found = 0
    for individual in range(start, 1000):
        value = nin_for(born, individual)
        if value and found == n:
            return value
        found += value is not None
    raise ValueError(f'no synthetic nin for {born}')


def wrong_check(value):
    """value with its last check digit wrong."""
    return value[:-1] + str((int(value[-1]) + 1) % 10)


def masked(value):
    """value as bti prints it without --identify."""
    return value[:6] + '*****'


assert nin_for('2010-05-05', 523) == '05851052307'
assert nin('2010-05-05')[2:4] == '85'
