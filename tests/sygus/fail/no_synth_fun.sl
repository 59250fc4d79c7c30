; Nothing to synthesize.
(set-logic BV)
(declare-var x (_ BitVec 8))
(constraint (= x x))
(check-synth)
