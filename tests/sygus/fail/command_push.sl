; Incremental commands are not supported.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(push 1)
(check-synth)
