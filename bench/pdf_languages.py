"""Render the Co-Chairs' letter in English, Arabic and Chinese: time and PDF size side by side.

    .venv/bin/python bench/pdf_languages.py [--rounds 15]

The English letter is the seed's (and the tests' copy of it beside the others; the seed's
PGA letter as distributed is shown too, for scale), all issued; the Arabic and
Chinese versions are those of the tests (tests/correspondence/letters_in_languages.py).
Rounds alternate between the letters and medians are compared, so a busy machine slows all
alike. Prints figures and ratios; asserts nothing. Targets: time <= 1.5 x and size <= 3 x
the English letter.
"""

import argparse
import statistics
import sys
import time

from _setup import ROOT, django_with_seed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    django_with_seed()
    sys.path.insert(0, str(ROOT))

    from correspondence.models import Letter
    from correspondence.pdf import render_letter_pdf
    from correspondence.seed import CO_CHAIRS_SLUG, PGA_SLUG
    from correspondence.services import letter_issue
    from tests.correspondence.letters_in_languages import make_co_chairs_letter

    seed = Letter.objects.get(slug=CO_CHAIRS_SLUG)
    letters = {"en (seed, issued)": seed}
    # Issued as the seed is (a draft's watermark would be drawn on every page).
    letters.update({language: letter_issue(letter=make_co_chairs_letter(language), by=None)
                    for language in ("en", "ar", "zh-hans")})
    letters["en (tests' copy)"] = letters.pop("en")
    # For scale: the seed's PGA letter as distributed, with the Co-Chairs' letter enclosed.
    letters["en PGA + encl."] = Letter.objects.get(slug=PGA_SLUG)
    for letter in letters.values():  # warm: imports, the first font loads
        render_letter_pdf(letter)

    times = {name: [] for name in letters}
    names = list(letters)
    for round_ in range(args.rounds):
        # Each round starts with another letter: no letter always runs first.
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            letter = letters[name]
            start = time.perf_counter()
            render_letter_pdf(letter)
            times[name].append(time.perf_counter() - start)
    sizes = {name: len(render_letter_pdf(letter)) for name, letter in letters.items()}
    medians = {name: statistics.median(values) for name, values in times.items()}

    base_time, base_size = medians["en (seed, issued)"], sizes["en (seed, issued)"]
    print(f"The Co-Chairs' letter of 9 January 2017, {args.rounds} alternating rounds, medians")
    print(f"  {'letter':<18} {'time':>9} {'x en':>6} {'size':>10} {'x en':>6}")
    for name in letters:
        print(f"  {name:<18} {medians[name] * 1000:7.1f} ms {medians[name] / base_time:6.2f}"
              f" {sizes[name]:8,} B {sizes[name] / base_size:6.2f}")
    print("  targets: time <= 1.50 x en, size <= 3.00 x en")


if __name__ == "__main__":
    main()
