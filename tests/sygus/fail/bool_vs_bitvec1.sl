; Bool and (_ BitVec 1) are different sorts.
(set-logic BV)
(synth-fun f ((x (_ BitVec 1))) Bool)
(declare-var x (_ BitVec 1))
(constraint (= (f x) x))
(check-synth)
