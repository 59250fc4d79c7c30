; The body does not have the declared sort.
(set-logic BV)
(define-fun g ((x (_ BitVec 8))) Bool (bvadd x x))
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(check-synth)
