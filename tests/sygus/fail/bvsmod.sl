; bvsmod has no IR operation.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(constraint (= (f x) (bvsmod x #x03)))
(check-synth)
