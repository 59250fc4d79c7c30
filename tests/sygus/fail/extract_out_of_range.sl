; Bit 8 does not exist in an 8-bit vector.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 1))
(declare-var x (_ BitVec 8))
(constraint (= (f x) ((_ extract 8 8) x)))
(check-synth)
