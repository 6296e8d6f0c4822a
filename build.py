"""`python build.py` builds every memo for every audience; see `python build.py --help`."""

from briefing.cli import main

if __name__ == "__main__":
    main()
