; Invariant synthesis is not supported.
(set-logic BV)
(synth-inv inv ((x (_ BitVec 8))))
(check-synth)
