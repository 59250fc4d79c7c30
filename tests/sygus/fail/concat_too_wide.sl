; The result would have 128 bits.
(set-logic BV)
(synth-fun f ((x (_ BitVec 64))) (_ BitVec 64))
(declare-var x (_ BitVec 64))
(constraint (= ((_ extract 63 0) (concat x x)) (f x)))
(check-synth)
