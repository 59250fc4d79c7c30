; `bvplus` is not an SMT-LIB operator.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(constraint (= (f x) (bvplus x x)))
(check-synth)
