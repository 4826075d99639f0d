// The traits' email is a string: it has no toFixed.
async function onIdentify(event, settings) {
  const email = event.traits.email;
  return fetch(settings.endpoint, { method: 'POST', body: email.toFixed(2) });
}
