; Incremental problems (constraints after check-synth) are not supported.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(check-synth)
(constraint (= (f x) x))
