; Uninterpreted functions are not supported.
(set-logic BV)
(declare-fun g ((_ BitVec 8)) (_ BitVec 8))
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(check-synth)
