"""TAP for the project's Python checks: one line per (ok, what), and an exit status."""


def report(results):
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    return 0 if all(ok for ok, _ in results) else 1


def skip_all(reason):
    """Nothing can be checked here: a plan of none, with the reason."""
    print(f"1..0 # SKIP {reason}")
    return 0
