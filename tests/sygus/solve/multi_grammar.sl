; Two targets, one with a grammar whose helper `dbl` must appear in the answer if used: the
; tuple search answers it with a derivation.
(set-logic BV)
(define-fun dbl ((a (_ BitVec 8))) (_ BitVec 8) (bvadd a a))
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8) ((Start (_ BitVec 8))) ((Start (_ BitVec 8) (x #x01 (dbl Start) (bvadd Start Start)))))
(synth-fun g ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(constraint (= (bvadd (f x) (g x)) (bvadd (bvadd x x) (bvadd x #x01))))
(check-synth)
