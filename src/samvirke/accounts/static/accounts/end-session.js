// The eID logout's last step: send the end-session form to the identity provider at once
// (the button stays for browsers without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("eid-end-session")?.submit();
});
