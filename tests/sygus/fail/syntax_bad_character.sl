; A literal with a bad digit.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(constraint (= (f x) #xG1))
(check-synth)
