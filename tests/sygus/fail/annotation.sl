; Term annotations are not supported.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(constraint (! (= (f x) x) :named c1))
(check-synth)
