; A name can be declared once.
(set-logic BV)
(define-fun g ((x (_ BitVec 8))) (_ BitVec 8) x)
(synth-fun g ((x (_ BitVec 8))) (_ BitVec 8))
(check-synth)
