//! Parser of the IR text format, with error recovery and type inference.
//!
//! Parsing runs in two steps: syntax (tokens to functions with untyped instructions, recovering
//! at the next line after an error so that several errors are reported), then typing (result
//! types inferred from operands, explicit suffixes checked) followed by the verifier, whose
//! errors are mapped back to the line and column of the instruction or operand at fault.

use std::collections::HashMap;

use super::lexer::{Tok, Token, tokenize};
use crate::verify::{function_errors, result_type};
use crate::{Error, Errors, Function, Inst, Location, Module, Opcode, Param, Shape, Site, Type, Value};

/// Parses and verifies a module.
pub fn parse_module(text: &str) -> Result<Module, Errors> {
    let mut p = Parser { toks: tokenize(text), pos: 0, errors: Vec::new(), eof: end_location(text) };
    let mut parsed = Vec::new();
    while p.pos < p.toks.len() {
        let start = p.pos;
        match p.function() {
            Some(f) => parsed.push(f),
            None => p.skip_to_next_fn(p.pos == start),
        }
    }
    let mut errors = std::mem::take(&mut p.errors);
    let mut module = Module::default();
    let mut names: HashMap<String, ()> = HashMap::new();
    for pf in parsed {
        if names.insert(pf.name.clone(), ()).is_some() {
            errors.push(Error::Syntax {
                loc: pf.name_loc,
                message: format!("function `{}` is defined more than once", pf.name),
            });
        }
        let (f, errs) = type_function(pf);
        errors.extend(errs);
        module.functions.push(f);
    }
    if errors.is_empty() {
        Ok(module)
    } else {
        errors.sort_by_key(Error::location);
        Err(Errors(errors))
    }
}

/// Parses a module that must contain exactly one function.
pub fn parse_function(text: &str) -> Result<Function, Errors> {
    let mut m = parse_module(text)?;
    if m.functions.len() == 1 {
        Ok(m.functions.remove(0))
    } else {
        Err(Errors(vec![Error::Syntax {
            loc: Location { line: 1, col: 1 },
            message: format!("expected exactly one function, found {}", m.functions.len()),
        }]))
    }
}

fn end_location(text: &str) -> Location {
    let line = text.lines().count().max(1) as u32;
    let col = text.lines().last().map_or(0, |l| l.chars().count()) as u32 + 1;
    Location { line, col }
}

struct ParsedInst {
    result: Value,
    loc: Location,
    opcode: Opcode,
    suffix: Option<Type>,
    args: Vec<(Value, Location)>,
    literal: Option<(bool, String, Location)>,
}

struct ParsedFn {
    name: String,
    name_loc: Location,
    params: Vec<(Value, Type, Location)>,
    ret_ty: Type,
    body: Vec<ParsedInst>,
    ret: (Value, Location),
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    errors: Vec<Error>,
    eof: Location,
}

type PResult<T> = Result<T, ()>;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn loc(&self) -> Location {
        self.peek().map_or(self.eof, |t| t.loc)
    }

    fn error<T>(&mut self, loc: Location, message: String) -> PResult<T> {
        self.errors.push(Error::Syntax { loc, message });
        Err(())
    }

    fn unexpected<T>(&mut self, expected: &str) -> PResult<T> {
        let found = self.peek().map_or("end of file".to_string(), |t| t.tok.describe());
        let loc = self.loc();
        self.error(loc, format!("expected {expected}, found {found}"))
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek().map(|t| &t.tok) == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Tok) -> PResult<Location> {
        let loc = self.loc();
        if self.eat(&tok) { Ok(loc) } else { self.unexpected(&tok.describe()) }
    }

    fn word(&mut self, expected: &str) -> PResult<(String, Location)> {
        match self.peek() {
            Some(Token { tok: Tok::Word(w), loc }) => {
                let r = (w.clone(), *loc);
                self.pos += 1;
                Ok(r)
            }
            _ => self.unexpected(expected),
        }
    }

    fn keyword(&mut self, kw: &str) -> PResult<Location> {
        match self.peek() {
            Some(Token { tok: Tok::Word(w), loc }) if w == kw => {
                let loc = *loc;
                self.pos += 1;
                Ok(loc)
            }
            _ => self.unexpected(&format!("`{kw}`")),
        }
    }

    fn value(&mut self) -> PResult<(Value, Location)> {
        let (w, loc) = self.word("a value such as `v0`")?;
        match parse_value_name(&w) {
            Some(v) => Ok((v, loc)),
            None => self.error(loc, format!("expected a value such as `v0`, found `{w}`")),
        }
    }

    fn ty(&mut self) -> PResult<Type> {
        let (w, loc) = self.word("a type such as `i32`")?;
        match w.parse::<Type>() {
            Ok(t) => Ok(t),
            Err(e) => self.error(loc, e.to_string()),
        }
    }

    /// Skips to the first token on a line after `line`.
    fn skip_line(&mut self, line: u32) {
        while self.peek().is_some_and(|t| t.loc.line == line) {
            self.pos += 1;
        }
    }

    /// Skips to the next `fn` at the start of a line (past the current token if `advance`).
    fn skip_to_next_fn(&mut self, advance: bool) {
        if advance {
            self.pos += 1;
        }
        while let Some(t) = self.peek() {
            if t.tok == Tok::Word("fn".into()) && t.loc.col == 1 {
                break;
            }
            self.pos += 1;
        }
    }

    fn end_of_line(&mut self, line: u32) -> PResult<()> {
        match self.peek() {
            Some(t) if t.loc.line == line => self.unexpected("end of line"),
            _ => Ok(()),
        }
    }

    fn function(&mut self) -> Option<ParsedFn> {
        let header = self.header();
        let Ok((name, name_loc, params, ret_ty)) = header else { return None };
        let mut body = Vec::new();
        let mut ret = None;
        let mut ok = true;
        loop {
            let Some(tok) = self.peek().cloned() else {
                let _ = self.unexpected::<()>("`}` closing the function");
                return None;
            };
            match &tok.tok {
                Tok::RBrace => {
                    self.pos += 1;
                    break;
                }
                Tok::Word(w) if w == "fn" && tok.loc.col == 1 => {
                    let _ = self.unexpected::<()>("`}` closing the function");
                    return None;
                }
                Tok::Word(w) if w == "ret" => {
                    self.pos += 1;
                    let r = self.value().and_then(|v| self.end_of_line(tok.loc.line).map(|()| v));
                    match r {
                        Ok(v) if ret.is_none() => ret = Some(v),
                        Ok(_) => {
                            ok = false;
                            let _ = self.error::<()>(tok.loc, "a function has exactly one `ret`".into());
                        }
                        Err(()) => {
                            ok = false;
                            self.skip_line(tok.loc.line);
                        }
                    }
                }
                _ if ret.is_some() => {
                    ok = false;
                    let _ = self.unexpected::<()>("`}` after `ret`");
                    self.skip_line(tok.loc.line);
                }
                _ => match self.instruction() {
                    Ok(inst) => body.push(inst),
                    Err(()) => {
                        ok = false;
                        self.skip_line(tok.loc.line);
                    }
                },
            }
        }
        let Some(ret) = ret else {
            if ok {
                let _ = self.error::<()>(name_loc, format!("fn {name} has no `ret`"));
            }
            return None;
        };
        ok.then_some(ParsedFn { name, name_loc, params, ret_ty, body, ret })
    }

    #[expect(clippy::type_complexity, reason = "private helper returning the header's parts")]
    fn header(&mut self) -> PResult<(String, Location, Vec<(Value, Type, Location)>, Type)> {
        self.keyword("fn")?;
        let (name, name_loc) = self.word("a function name")?;
        if parse_value_name(&name).is_some() || name.parse::<Type>().is_ok() {
            return self.error(name_loc, format!("`{name}` cannot be a function name"));
        }
        self.expect(Tok::LParen)?;
        let mut params = Vec::new();
        if !self.eat(&Tok::RParen) {
            loop {
                let (v, loc) = self.value()?;
                self.expect(Tok::Colon)?;
                let ty = self.ty()?;
                params.push((v, ty, loc));
                if self.eat(&Tok::RParen) {
                    break;
                }
                self.expect(Tok::Comma)?;
            }
        }
        self.expect(Tok::Arrow)?;
        let ret_ty = self.ty()?;
        let brace = self.expect(Tok::LBrace)?;
        self.end_of_line(brace.line)?;
        Ok((name, name_loc, params, ret_ty))
    }

    fn instruction(&mut self) -> PResult<ParsedInst> {
        let (result, loc) = self.value()?;
        self.expect(Tok::Equals)?;
        let (opname, oploc) = self.word("an opcode")?;
        let opcode = match opname.parse::<Opcode>() {
            Ok(op) => op,
            Err(e) => return self.error(oploc, e.to_string()),
        };
        let suffix = if self.eat(&Tok::Dot) { Some(self.ty()?) } else { None };
        if opcode.has_type_suffix() && suffix.is_none() {
            return self.error(oploc, format!("`{opcode}` needs a result type, as in `{opcode}.i32`"));
        }
        let mut args = Vec::new();
        let mut literal = None;
        if opcode == Opcode::Iconst {
            let negative = self.eat(&Tok::Minus);
            let lit_loc = self.loc();
            match self.peek() {
                Some(Token { tok: Tok::Int(s), .. }) => {
                    literal = Some((negative, s.clone(), lit_loc));
                    self.pos += 1;
                }
                _ => return self.unexpected("an integer constant"),
            }
        } else if self.peek().is_some_and(|t| t.loc.line == loc.line) {
            loop {
                args.push(self.value()?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        self.end_of_line(loc.line)?;
        Ok(ParsedInst { result, loc, opcode, suffix, args, literal })
    }
}

/// `v12` -> `Value(12)`.
fn parse_value_name(word: &str) -> Option<Value> {
    let digits = word.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(Value)
}

/// Parses an `iconst` literal of type `ty`: decimal or `0x` hex; negative decimals wrap.
pub(crate) fn parse_constant(negative: bool, text: &str, ty: Type) -> Result<u64, String> {
    let digits = text.replace('_', "");
    let magnitude = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        u128::from_str_radix(hex, 16)
    } else {
        digits.parse::<u128>()
    }
    .map_err(|_| format!("malformed integer constant `{text}`"))?;
    let sign = if negative { "-" } else { "" };
    let out_of_range = || format!("constant {sign}{text} does not fit in {ty}");
    if negative {
        if magnitude > u128::from(ty.signed_min()) {
            return Err(out_of_range());
        }
        Ok(ty.wrap((magnitude as u64).wrapping_neg()))
    } else if magnitude > u128::from(ty.mask()) {
        Err(out_of_range())
    } else {
        Ok(magnitude as u64)
    }
}

/// Infers result types, builds the function and runs the verifier, mapping its errors to text.
fn type_function(pf: ParsedFn) -> (Function, Vec<Error>) {
    let mut errors = Vec::new();
    let mut types: HashMap<Value, Type> = pf.params.iter().map(|&(v, t, _)| (v, t)).collect();
    let mut body = Vec::with_capacity(pf.body.len());
    for pi in &pf.body {
        let operand_types: Vec<Option<Type>> = pi.args.iter().map(|(a, _)| types.get(a).copied()).collect();
        let ty = if let Some(known) = operand_types.iter().copied().collect::<Option<Vec<Type>>>() {
            match result_type(pi.opcode, pi.suffix, &known) {
                Ok(t) => t,
                Err(message) if known.len() == pi.opcode.arity() => {
                    errors.push(Error::Syntax { loc: pi.loc, message });
                    fallback_type(pi, &operand_types)
                }
                // Wrong arity: the verifier reports it.
                Err(_) => fallback_type(pi, &operand_types),
            }
        } else {
            fallback_type(pi, &operand_types)
        };
        let imm = match &pi.literal {
            Some((negative, text, loc)) => parse_constant(*negative, text, ty).unwrap_or_else(|message| {
                errors.push(Error::Syntax { loc: *loc, message });
                0
            }),
            None => 0,
        };
        types.entry(pi.result).or_insert(ty);
        body.push(Inst { result: pi.result, opcode: pi.opcode, ty, args: pi.args.iter().map(|a| a.0).collect(), imm });
    }
    let f = Function {
        name: pf.name.clone(),
        params: pf.params.iter().map(|&(value, ty, _)| Param { value, ty }).collect(),
        ret_ty: pf.ret_ty,
        body,
        ret: pf.ret.0,
    };
    for error in function_errors(&f) {
        let loc = match error.site {
            Site::Signature => pf.name_loc,
            Site::Param(i) => pf.params[i].2,
            Site::Inst { index, operand: Some(k) } => pf.body[index].args[k].1,
            Site::Inst { index, operand: None } => pf.body[index].loc,
            Site::Ret => pf.ret.1,
        };
        errors.push(Error::Invalid { loc, error });
    }
    (f, errors)
}

/// A best-effort type for an instruction whose operands are not all known, to limit cascades.
fn fallback_type(pi: &ParsedInst, operand_types: &[Option<Type>]) -> Type {
    if let Some(t) = pi.suffix {
        return t;
    }
    match pi.opcode.shape() {
        Shape::Compare => Type::I1,
        Shape::Select => operand_types.iter().skip(1).flatten().next().copied().unwrap_or(Type::I64),
        _ => operand_types.iter().flatten().next().copied().unwrap_or(Type::I64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AVG: &str = "fn avg_floor(v0: i32, v1: i32) -> i32 {
  v2 = and v0, v1
  v3 = xor v0, v1
  v4 = iconst.i32 1
  v5 = lshr v3, v4
  v6 = add v2, v5
  ret v6
}
";

    fn errors(text: &str) -> Vec<String> {
        parse_module(text).unwrap_err().0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn parses_and_prints_canonical_text() {
        let m = parse_module(AVG).unwrap();
        assert_eq!(m.to_string(), AVG);
        assert_eq!(m.functions[0].body[4].ty, Type::I32);
    }

    #[test]
    fn accepts_comments_blank_lines_any_numbering_and_suffixes() {
        let text = "// header\n\nfn f(v7: i8) -> i1 { // trailing\n\n  v3 = iconst.i8 -1\n  v9 = add.i8 v7, v3\n  v1 = ult v9, v7\n  ret v1\n}\n";
        let m = parse_module(text).unwrap();
        let f = &m.functions[0];
        assert_eq!(f.body[0].imm, 0xff);
        assert_eq!(f.body[2].ty, Type::I1);
        assert_eq!(crate::eval(f, &[5]), 1);
    }

    #[test]
    fn constants() {
        assert_eq!(parse_constant(true, "1", Type::I8), Ok(0xff));
        assert_eq!(parse_constant(false, "0xff", Type::I8), Ok(0xff));
        assert_eq!(parse_constant(true, "128", Type::I8), Ok(0x80));
        assert!(parse_constant(true, "129", Type::I8).is_err());
        assert!(parse_constant(false, "256", Type::I8).is_err());
        assert_eq!(parse_constant(false, "18446744073709551615", Type::I64), Ok(u64::MAX));
        assert!(parse_constant(false, "0xg", Type::I64).is_err());
    }

    #[test]
    fn reports_located_errors() {
        assert_eq!(
            errors("fn f(v0: i32) -> i32 {\n  v1 = add v0, v9\n  ret v1\n}\n"),
            ["2:16: error: in fn f: use of undefined value v9"]
        );
        assert_eq!(
            errors("fn f(v0: i32) -> i32 {\n  v1 = frob v0\n  ret v1\n}\n"),
            ["2:8: error: unknown opcode `frob`"]
        );
        assert_eq!(
            errors("fn f(v0: i32) -> i8 {\n  v1 = zext.i8 v0\n  ret v1\n}\n"),
            ["2:3: error: in fn f: v1: `zext.i8` must widen, but its operand is i32"]
        );
        assert_eq!(
            errors("fn f(v0: i32) -> i32 {\n  v1 = iconst.i8 300\n  ret v0\n}\n"),
            ["2:18: error: constant 300 does not fit in i8"]
        );
    }

    #[test]
    fn recovers_and_reports_several_errors() {
        let text = "fn f(v0: i32) -> i32 {\n  v1 = add v0 v0\n  v2 = bogus v0\n  ret v0\n}\nfn g(v0: i8) -> i8 {\n  ret v5\n}\n";
        let errs = errors(text);
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].starts_with("2:15: error: expected end of line"));
        assert!(errs[1].starts_with("3:8:"));
        assert!(errs[2].starts_with("7:7: error: in fn g: `ret` of undefined value v5"));
    }

    #[test]
    fn rejects_duplicate_functions_and_missing_ret() {
        let text = "fn f() -> i8 {\n  v0 = iconst.i8 1\n  ret v0\n}\nfn f() -> i8 {\n  v0 = iconst.i8 1\n}\n";
        let errs = errors(text);
        assert_eq!(errs, ["5:4: error: fn f has no `ret`"]);
    }
}
