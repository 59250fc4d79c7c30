; The Int sort is not supported, even in a BV problem.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var n Int)
(check-synth)
