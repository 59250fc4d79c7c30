; Programming by example: the constraints mention no variable, so no z3 proof "for all inputs"
; is involved; the report says the constraints were checked.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(constraint (= (f #x01) #x02))
(constraint (= (f #x03) #x06))
(constraint (= (f #x10) #x20))
(check-synth)
