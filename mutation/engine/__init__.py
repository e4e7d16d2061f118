"""The mutation engine adapter: the only code in the gate that knows mutmut 3.8.1.

- `protocol`: how a test process learns which mutant is active (read inside mutmut's workers);
- `settings`: the `[mutmut]` section the gate writes into its work directory;
- `runner`: running `mutmut run` (and `mutmut browse`);
- `results`: mutmut's `.meta` verdicts read into engine-neutral `EngineResult`s;
- `mutants`: every mutant mutmut makes, located in the source (`model.Mutant`);
- `unmutable`: the code mutmut never mutates.

A mutmut upgrade, or a second engine, touches this folder alone. Nothing here is imported by
the package itself, so a test process that loads the kill recorder does not import mutmut.
"""
