#include "tile_text.h"

#include <cwctype>
#include <vector>

namespace sspr {

namespace {

constexpr int kTextCount = 8;

struct Catalogue {
  const wchar_t* code;
  const wchar_t* texts[kTextCount];  // in TileText order
};

// Kept in step with the overlay's catalogues (src/renderer/i18n): the same languages, the same wording.
const Catalogue kCatalogues[] = {
    {L"en",
     {L"Forgot password?",
      L"Password reset",
      L"Password reset is open.",
      L"Password reset is not available right now.",
      L"Your password was changed. Sign in with your new password.",
      L"Password reset is not set up for this account. Contact your helpdesk.",
      L"The password reset service cannot be reached. Check the network or contact your helpdesk.",
      L"Too many attempts. Try again later or contact your helpdesk."}},
    {L"ar",
     {L"هل نسيت كلمة المرور؟",
      L"إعادة تعيين كلمة المرور",
      L"إعادة تعيين كلمة المرور مفتوحة.",
      L"إعادة تعيين كلمة المرور غير متاحة الآن.",
      L"تم تغيير كلمة المرور. سجّل الدخول بكلمة المرور الجديدة.",
      L"إعادة تعيين كلمة المرور غير مُعدّة لهذا الحساب. اتصل بمكتب الدعم الفني.",
      L"تعذّر الوصول إلى خدمة إعادة تعيين كلمة المرور. تحقق من الشبكة أو اتصل بمكتب الدعم الفني.",
      L"محاولات كثيرة جدًا. حاول مرة أخرى لاحقًا أو اتصل بمكتب الدعم الفني."}},
    {L"cs",
     {L"Zapomněli jste heslo?",
      L"Resetování hesla",
      L"Resetování hesla je otevřené.",
      L"Resetování hesla teď není k dispozici.",
      L"Heslo bylo změněno. Přihlaste se novým heslem.",
      L"Resetování hesla není pro tento účet nastavené. Obraťte se na technickou podporu.",
      L"Službu pro resetování hesel nelze kontaktovat. Zkontrolujte síť nebo se obraťte na technickou podporu.",
      L"Příliš mnoho pokusů. Zkuste to později nebo se obraťte na technickou podporu."}},
    {L"da",
     {L"Glemt adgangskode?",
      L"Nulstil adgangskode",
      L"Nulstilling af adgangskode er åben.",
      L"Nulstilling af adgangskode er ikke tilgængelig lige nu.",
      L"Din adgangskode er ændret. Log på med din nye adgangskode.",
      L"Nulstilling af adgangskode er ikke konfigureret for denne konto. Kontakt din helpdesk.",
      L"Tjenesten til nulstilling af adgangskoder kan ikke nås. Kontrollér netværket, eller kontakt din helpdesk.",
      L"For mange forsøg. Prøv igen senere, eller kontakt din helpdesk."}},
    {L"de",
     {L"Kennwort vergessen?",
      L"Kennwort zurücksetzen",
      L"Die Kennwortzurücksetzung ist geöffnet.",
      L"Die Kennwortzurücksetzung ist gerade nicht verfügbar.",
      L"Ihr Kennwort wurde geändert. Melden Sie sich mit Ihrem neuen Kennwort an.",
      L"Die Kennwortzurücksetzung ist für dieses Konto nicht eingerichtet. Wenden Sie sich an Ihren Helpdesk.",
      L"Der Dienst zum Zurücksetzen von Kennwörtern ist nicht erreichbar. Prüfen Sie das Netzwerk oder wenden Sie sich an Ihren Helpdesk.",
      L"Zu viele Versuche. Versuchen Sie es später erneut oder wenden Sie sich an Ihren Helpdesk."}},
    {L"es",
     {L"¿Olvidó la contraseña?",
      L"Restablecer la contraseña",
      L"El restablecimiento de contraseña está abierto.",
      L"El restablecimiento de contraseña no está disponible ahora.",
      L"Se cambió la contraseña. Inicie sesión con la contraseña nueva.",
      L"El restablecimiento de contraseña no está configurado para esta cuenta. Póngase en contacto con su servicio de asistencia.",
      L"No se puede conectar con el servicio de restablecimiento de contraseñas. Compruebe la red o póngase en contacto con su servicio de asistencia.",
      L"Demasiados intentos. Inténtelo más tarde o póngase en contacto con su servicio de asistencia."}},
    {L"fi",
     {L"Unohditko salasanan?",
      L"Salasanan palautus",
      L"Salasanan palautus on auki.",
      L"Salasanan palautus ei ole nyt käytettävissä.",
      L"Salasanasi on vaihdettu. Kirjaudu uudella salasanalla.",
      L"Salasanan palautusta ei ole määritetty tälle tilille. Ota yhteys tukipalveluun.",
      L"Salasanan palautuspalveluun ei saada yhteyttä. Tarkista verkko tai ota yhteys tukipalveluun.",
      L"Liian monta yritystä. Yritä myöhemmin uudelleen tai ota yhteys tukipalveluun."}},
    {L"fr",
     {L"Mot de passe oublié ?",
      L"Réinitialisation du mot de passe",
      L"La réinitialisation du mot de passe est ouverte.",
      L"La réinitialisation du mot de passe n’est pas disponible pour le moment.",
      L"Votre mot de passe a été changé. Connectez-vous avec votre nouveau mot de passe.",
      L"La réinitialisation du mot de passe n’est pas configurée pour ce compte. Contactez votre support informatique.",
      L"Impossible de joindre le service de réinitialisation des mots de passe. Vérifiez le réseau ou contactez votre support informatique.",
      L"Trop de tentatives. Réessayez plus tard ou contactez votre support informatique."}},
    {L"he",
     {L"שכחת את הסיסמה?",
      L"איפוס סיסמה",
      L"איפוס הסיסמה פתוח.",
      L"איפוס סיסמה אינו זמין כרגע.",
      L"הסיסמה שלך שונתה. היכנס עם הסיסמה החדשה.",
      L"איפוס סיסמה לא הוגדר עבור החשבון הזה. פנה לתמיכה הטכנית.",
      L"אין גישה לשירות איפוס הסיסמאות. בדוק את הרשת או פנה לתמיכה הטכנית.",
      L"יותר מדי ניסיונות. נסה שוב מאוחר יותר או פנה לתמיכה הטכנית."}},
    {L"it",
     {L"Password dimenticata?",
      L"Reimpostazione password",
      L"La reimpostazione della password è aperta.",
      L"La reimpostazione della password non è disponibile al momento.",
      L"La password è stata cambiata. Accedi con la nuova password.",
      L"La reimpostazione della password non è configurata per questo account. Contatta l'helpdesk.",
      L"Impossibile raggiungere il servizio di reimpostazione delle password. Controlla la rete o contatta l'helpdesk.",
      L"Troppi tentativi. Riprova più tardi o contatta l'helpdesk."}},
    {L"ja",
     {L"パスワードを忘れた場合",
      L"パスワードのリセット",
      L"パスワード リセットを実行中です。",
      L"現在、パスワード リセットは利用できません。",
      L"パスワードが変更されました。新しいパスワードでサインインしてください。",
      L"このアカウントではパスワード リセットが設定されていません。ヘルプデスクにお問い合わせください。",
      L"パスワード リセット サービスに接続できません。ネットワークを確認するか、ヘルプデスクにお問い合わせください。",
      L"試行回数が多すぎます。しばらくしてからもう一度試すか、ヘルプデスクにお問い合わせください。"}},
    {L"ko",
     {L"암호를 잊으셨나요?",
      L"암호 재설정",
      L"암호 재설정이 열려 있습니다.",
      L"지금은 암호 재설정을 사용할 수 없습니다.",
      L"암호가 변경되었습니다. 새 암호로 로그인하세요.",
      L"이 계정에는 암호 재설정이 설정되어 있지 않습니다. 헬프데스크에 문의하세요.",
      L"암호 재설정 서비스에 연결할 수 없습니다. 네트워크를 확인하거나 헬프데스크에 문의하세요.",
      L"시도 횟수가 너무 많습니다. 나중에 다시 시도하거나 헬프데스크에 문의하세요."}},
    {L"nb",
     {L"Glemt passordet?",
      L"Tilbakestill passord",
      L"Tilbakestilling av passord er åpen.",
      L"Tilbakestilling av passord er ikke tilgjengelig akkurat nå.",
      L"Passordet er endret. Logg på med det nye passordet.",
      L"Tilbakestilling av passord er ikke satt opp for denne kontoen. Kontakt brukerstøtte.",
      L"Får ikke kontakt med tjenesten for tilbakestilling av passord. Sjekk nettverket eller kontakt brukerstøtte.",
      L"For mange forsøk. Prøv igjen senere eller kontakt brukerstøtte."}},
    {L"nl",
     {L"Wachtwoord vergeten?",
      L"Wachtwoord opnieuw instellen",
      L"Wachtwoord opnieuw instellen is geopend.",
      L"Wachtwoord opnieuw instellen is nu niet beschikbaar.",
      L"Uw wachtwoord is gewijzigd. Meld u aan met uw nieuwe wachtwoord.",
      L"Wachtwoord opnieuw instellen is niet ingesteld voor dit account. Neem contact op met uw helpdesk.",
      L"De service voor het opnieuw instellen van wachtwoorden is niet bereikbaar. Controleer het netwerk of neem contact op met uw helpdesk.",
      L"Te veel pogingen. Probeer het later opnieuw of neem contact op met uw helpdesk."}},
    {L"pl",
     {L"Nie pamiętasz hasła?",
      L"Resetowanie hasła",
      L"Resetowanie hasła jest otwarte.",
      L"Resetowanie hasła jest teraz niedostępne.",
      L"Hasło zostało zmienione. Zaloguj się nowym hasłem.",
      L"Resetowanie hasła nie jest skonfigurowane dla tego konta. Skontaktuj się z pomocą techniczną.",
      L"Brak połączenia z usługą resetowania haseł. Sprawdź sieć lub skontaktuj się z pomocą techniczną.",
      L"Zbyt wiele prób. Spróbuj ponownie później lub skontaktuj się z pomocą techniczną."}},
    {L"pt-BR",
     {L"Esqueceu a senha?",
      L"Redefinição de senha",
      L"A redefinição de senha está aberta.",
      L"A redefinição de senha não está disponível agora.",
      L"Sua senha foi alterada. Entre com a nova senha.",
      L"A redefinição de senha não está configurada para esta conta. Entre em contato com o suporte.",
      L"Não é possível acessar o serviço de redefinição de senha. Verifique a rede ou entre em contato com o suporte.",
      L"Tentativas demais. Tente novamente mais tarde ou entre em contato com o suporte."}},
    {L"pt-PT",
     {L"Esqueceu-se da palavra-passe?",
      L"Reposição da palavra-passe",
      L"A reposição da palavra-passe está aberta.",
      L"A reposição da palavra-passe não está disponível neste momento.",
      L"A sua palavra-passe foi alterada. Inicie sessão com a nova palavra-passe.",
      L"A reposição da palavra-passe não está configurada para esta conta. Contacte o seu suporte técnico.",
      L"Não é possível contactar o serviço de reposição de palavras-passe. Verifique a rede ou contacte o seu suporte técnico.",
      L"Demasiadas tentativas. Tente novamente mais tarde ou contacte o seu suporte técnico."}},
    {L"ru",
     {L"Забыли пароль?",
      L"Сброс пароля",
      L"Сброс пароля открыт.",
      L"Сброс пароля сейчас недоступен.",
      L"Пароль изменен. Войдите с новым паролем.",
      L"Сброс пароля не настроен для этой учетной записи. Обратитесь в службу поддержки.",
      L"Не удается связаться со службой сброса паролей. Проверьте сеть или обратитесь в службу поддержки.",
      L"Слишком много попыток. Повторите попытку позже или обратитесь в службу поддержки."}},
    {L"sv",
     {L"Glömt lösenordet?",
      L"Återställ lösenord",
      L"Återställning av lösenord är öppen.",
      L"Återställning av lösenord är inte tillgänglig just nu.",
      L"Ditt lösenord har ändrats. Logga in med ditt nya lösenord.",
      L"Återställning av lösenord är inte konfigurerad för det här kontot. Kontakta din helpdesk.",
      L"Det går inte att nå tjänsten för återställning av lösenord. Kontrollera nätverket eller kontakta din helpdesk.",
      L"För många försök. Försök igen senare eller kontakta din helpdesk."}},
    {L"tr",
     {L"Parolanızı mı unuttunuz?",
      L"Parola sıfırlama",
      L"Parola sıfırlama açık.",
      L"Parola sıfırlama şu anda kullanılamıyor.",
      L"Parolanız değiştirildi. Yeni parolanızla oturum açın.",
      L"Bu hesap için parola sıfırlama ayarlanmamış. Yardım masanıza başvurun.",
      L"Parola sıfırlama hizmetine ulaşılamıyor. Ağı kontrol edin veya yardım masanıza başvurun.",
      L"Çok fazla deneme. Daha sonra yeniden deneyin veya yardım masanıza başvurun."}},
    {L"uk",
     {L"Забули пароль?",
      L"Скидання пароля",
      L"Скидання пароля відкрито.",
      L"Скидання пароля зараз недоступне.",
      L"Пароль змінено. Увійдіть із новим паролем.",
      L"Скидання пароля не налаштовано для цього облікового запису. Зверніться до служби підтримки.",
      L"Не вдається зв'язатися зі службою скидання паролів. Перевірте мережу або зверніться до служби підтримки.",
      L"Забагато спроб. Спробуйте пізніше або зверніться до служби підтримки."}},
    {L"zh-Hans",
     {L"忘记密码？",
      L"重置密码",
      L"密码重置已打开。",
      L"密码重置当前不可用。",
      L"你的密码已更改。请使用新密码登录。",
      L"此账户未设置密码重置。请联系技术支持。",
      L"无法连接到密码重置服务。请检查网络或联系技术支持。",
      L"尝试次数过多。请稍后重试或联系技术支持。"}},
    {L"zh-Hant",
     {L"忘記密碼？",
      L"重設密碼",
      L"密碼重設已開啟。",
      L"密碼重設目前無法使用。",
      L"您的密碼已變更。請使用新密碼登入。",
      L"此帳戶未設定密碼重設。請聯絡技術支援人員。",
      L"無法連線到密碼重設服務。請檢查網路或聯絡技術支援人員。",
      L"嘗試次數過多。請稍後再試或聯絡技術支援人員。"}},
};

std::wstring Lower(std::wstring s) {
  for (auto& c : s) c = static_cast<wchar_t>(std::towlower(c));
  return s;
}

std::vector<std::wstring> Parts(const std::wstring& tag) {
  std::vector<std::wstring> parts;
  std::wstring current;
  for (wchar_t c : Lower(tag)) {
    if (c == L'-' || c == L'_') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else if (c != L' ') {
      current.push_back(c);
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

const Catalogue& CatalogueFor(const std::wstring& code) {
  for (const auto& c : kCatalogues) {
    if (code == c.code) return c;
  }
  return kCatalogues[0];
}

}  // namespace

std::wstring PickTileLanguage(const std::wstring& policyLocale, const std::wstring& msiLocale, const std::wstring& uiLanguage) {
  if (!policyLocale.empty()) return policyLocale;
  if (!msiLocale.empty()) return msiLocale;
  if (!uiLanguage.empty()) return uiLanguage;
  return L"en";
}

std::wstring TileLanguageCode(const std::wstring& tag) {
  const std::vector<std::wstring> parts = Parts(tag);
  if (parts.empty()) return L"en";
  std::wstring joined;
  for (const auto& p : parts) joined += (joined.empty() ? L"" : L"-") + p;
  for (const auto& c : kCatalogues) {
    if (joined == Lower(c.code)) return c.code;
  }
  const std::wstring& base = parts[0];
  if (base == L"zh") {
    for (const auto& p : parts) {
      if (p == L"hant" || p == L"tw" || p == L"hk" || p == L"mo") return L"zh-Hant";
    }
    return L"zh-Hans";
  }
  if (base == L"pt") return parts.size() > 1 && parts[1] == L"pt" ? L"pt-PT" : L"pt-BR";
  if (base == L"no" || base == L"nn") return L"nb";
  if (base == L"iw") return L"he";
  for (const auto& c : kCatalogues) {
    if (base == c.code) return c.code;
  }
  return L"en";
}

const wchar_t* TileTextFor(TileText id, const std::wstring& tag) {
  return CatalogueFor(TileLanguageCode(tag)).texts[static_cast<int>(id)];
}

std::wstring LocalizeTileMessage(const std::wstring& english, const std::wstring& tag) {
  const Catalogue& en = kCatalogues[0];
  for (int i = 0; i < kTextCount; ++i) {
    if (english == en.texts[i]) return TileTextFor(static_cast<TileText>(i), tag);
  }
  return english;
}

}  // namespace sspr
