"""The mutation engine adapter: the only code in the gate that knows mutmut 3.8.1.

- `protocol`: how a test process learns which mutant is active;
- `settings`: the `[mutmut]` section the gate writes into its work directory, and a project's own;
- `generate`: mutmut's generation of the mutated copy;
- `forkserver` and `server`: the gate's own fork server that runs every mutant's session, and its driver;
- `results`: results read into engine-neutral `EngineResult`s, and the gate's verdicts written to `.meta`;
- `mutants`: every mutant mutmut makes, located in the source (`model.Mutant`);
- `browse`: mutmut's interactive browser;
- `unmutable`: the code mutmut never mutates.

A mutmut upgrade, or a second engine, touches this folder alone. Nothing here is imported by
the package itself, so a test process that loads the kill recorder does not import mutmut.
"""
