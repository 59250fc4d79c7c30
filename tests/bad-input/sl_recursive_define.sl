(set-logic BV)
(define-fun g ((x (_ BitVec 8))) (_ BitVec 8) (g x))
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(check-synth)
